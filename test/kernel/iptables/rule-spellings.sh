iptables -A INPUT -s 10.0.0.1 -j ACCEPT
iptables -A INPUT -s 10.0.0.5/24 -d 10.1.0.0/255.255.0.0 -j ACCEPT
iptables -A INPUT ! -s 10.0.0.0/8 ! -d 192.0.2.1 -j DROP
iptables -A INPUT -s 0.0.0.0/0 -j ACCEPT
iptables -A INPUT -p udp --sport 53 -j ACCEPT
iptables -A INPUT -p udp -m udp --dport 53 -j ACCEPT
iptables -A INPUT -p tcp --dport 80:90 -j ACCEPT
iptables -A INPUT -p tcp ! --dport 22 -j ACCEPT
iptables -A INPUT -p tcp --sport 1024: --dport :1023 -j ACCEPT
iptables -A INPUT -p tcp --dport http -j ACCEPT
iptables -A INPUT -p icmp --icmp-type echo-request -j ACCEPT
iptables -A INPUT -p icmp --icmp-type 3/1 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type any -j ACCEPT
iptables -A INPUT -p icmp ! --icmp-type 0 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type port-unreachable -j ACCEPT
iptables -A INPUT -p 47 -j ACCEPT
iptables -A INPUT -p gre -j ACCEPT
iptables -A INPUT ! -p tcp -j ACCEPT
iptables -A INPUT -p all -j ACCEPT
iptables -A INPUT -p 0 -j ACCEPT
iptables -A INPUT -p TCP -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT
iptables -A INPUT -p udp -m multiport --sports 1000:2000,53 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --ports 22 -j ACCEPT
iptables -A INPUT -p tcp -m multiport ! --dports 22,23 -j ACCEPT
iptables -A INPUT -m state --state NEW,ESTABLISHED -j ACCEPT
iptables -A INPUT -m conntrack --ctstate NEW,INVALID,UNTRACKED,SNAT,DNAT -j ACCEPT
iptables -A INPUT -m conntrack ! --ctstate ESTABLISHED -j ACCEPT
iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -i veth+ -j ACCEPT
iptables -A INPUT -i eth0 -o eth1 -j ACCEPT
iptables -A FORWARD -m physdev --physdev-in veth0 -j ACCEPT
iptables -A FORWARD -m physdev ! --physdev-out veth1 -j ACCEPT
iptables -A FORWARD -m physdev --physdev-is-bridged -j ACCEPT
iptables -A FORWARD -m physdev --physdev-is-in --physdev-is-out -j ACCEPT
iptables -A INPUT -j LOG
iptables -A INPUT -j LOG --log-prefix "fw: " --log-level 6
iptables -A INPUT -j LOG --log-level warning --log-tcp-options --log-ip-options --log-uid
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset
iptables -A INPUT -j REJECT --reject-with icmp-proto-unreachable
iptables -A INPUT -j REJECT --reject-with icmp-host-unreachable
iptables -A INPUT -j REJECT --reject-with icmp-net-unreachable
iptables -A INPUT -j REJECT --reject-with icmp-net-prohibited
iptables -A INPUT -j REJECT --reject-with icmp-host-prohibited
iptables -A INPUT -j REJECT --reject-with icmp-admin-prohibited
iptables -A INPUT -j REJECT --reject-with icmp-port-unreach
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-rst
iptables -N C1
iptables -A INPUT -g C1
iptables -A INPUT -p tcp -m tcp --dport 22 -g C1
iptables -A INPUT
iptables -A INPUT -p tcp
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE --to-ports 1000-2000
iptables -t nat -A POSTROUTING -p tcp -o eth0 -j MASQUERADE --to-ports 1000
iptables -t nat -A POSTROUTING -p udp -o eth0 -j MASQUERADE --random
iptables -t nat -A POSTROUTING -j SNAT --to-source 192.0.2.1
iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 192.0.2.1-192.0.2.9:1000-2000
iptables -t nat -A POSTROUTING -j SNAT --to 192.0.2.1
iptables -t nat -A PREROUTING -j DNAT --to-destination 192.0.2.1
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 192.0.2.1:80
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination :8080
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 192.0.2.1-192.0.2.3:80-90
iptables -t nat -A OUTPUT -p tcp -j DNAT --to-destination 192.0.2.1:80
iptables -t nat -A POSTROUTING -j LOG --log-prefix nat
iptables -t nat -A POSTROUTING -j ACCEPT
iptables -t nat -A POSTROUTING -j RETURN
iptables -S
iptables -t nat -S
iptables -L -n
iptables -L -n -v
iptables -t nat -L -n
iptables -t nat -L -n -v -x --line-numbers
iptables-save
