iptables -N X
iptables -A X -j MASQUERADE
iptables -A X -j DNAT --to-destination 1.2.3.4
iptables -A X -j ACCEPT
iptables -X X
iptables -S
iptables -A X -j DROP
iptables -A INPUT -j X
iptables -D INPUT 1
iptables -t nat -N Y
iptables -t nat -A Y -j REJECT
iptables -t nat -A Y -p icmp -j ACCEPT
iptables -t nat -A Y -p tcp -j REJECT --reject-with tcp-reset
iptables -N Z
iptables -A Z -j REJECT
iptables -A Z -p tcp -j REJECT --reject-with tcp-reset
iptables -A Z -j REJECT --reject-with tcp-reset
iptables -A Z -m icmp --icmp-type 8 -j ACCEPT
iptables -R Z 1 -j REJECT --reject-with tcp-reset
iptables -I Z 1 ! -s 0/0 -j ACCEPT
iptables -R Z 1 ! -s 0/0 -j ACCEPT
iptables -A Z ! -d 0.0.0.0/0 -j ACCEPT
iptables -A Z -s 0.0.0.0/0 ! -d 1.2.3.4/0 -j ACCEPT
iptables -A INPUT -j Z
iptables -A Z -j Z
iptables -I Z -g X
iptables -E Z Q
iptables -S
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset
iptables -A INPUT -p tcp ! --dport 5 -j REJECT --reject-with tcp-reset
iptables -A INPUT ! -p tcp -j REJECT --reject-with tcp-reset
iptables -A INPUT -p icmp --icmp-type 8 -j REJECT --reject-with icmp-net-unreachable
iptables -A INPUT -p udp -m multiport --ports 5,6 -m multiport --dports 7 -j ACCEPT
iptables -A INPUT -m conntrack --ctstate NEW -m conntrack --ctstate INVALID -j ACCEPT
iptables -A INPUT -m conntrack --ctstate NEW --ctstate INVALID -j ACCEPT
iptables -A INPUT -m conntrack -j ACCEPT
iptables -A INPUT -m state -j ACCEPT
iptables -A INPUT -m addrtype --src-type LOCAL,BROADCAST ! --dst-type UNICAST -j ACCEPT
iptables -A INPUT -m addrtype -j ACCEPT
iptables -A INPUT -m addrtype --dst-type FOO -j ACCEPT
iptables -A INPUT -m conntrack --ctstate NEW -m state --state NEW -j ACCEPT
iptables -A INPUT -p tcp -m tcp --dport 1 -m tcp --sport 2 -j ACCEPT
iptables -A INPUT -s 10.0.0.1,10.0.0.2 -j ACCEPT
iptables -A INPUT -d 10.0.0.0/8 -s 192.0.2.0/24 -o eth0 -j ACCEPT
iptables -A INPUT -i eth0 -i eth1 -j ACCEPT
iptables -A INPUT -j LOG --log-prefix ""
iptables -A INPUT -j LOG --log-prefix 'x"y'
iptables -A INPUT -j REJECT --reject-with icmp-port-unreachable --reject-with icmp-net-unreachable
iptables -A INPUT -j LOG --log-level warn
iptables -A INPUT -j LOG --log-level err
iptables -A INPUT -j LOG --log-level error
iptables -A INPUT -j LOG --log-level panic
iptables -A INPUT -j LOG --log-level crit
iptables -A INPUT -j LOG --log-level notice --log-level info
iptables -S INPUT
iptables -L INPUT -n
iptables -X Q
iptables -t nat -X Y
iptables -F INPUT
iptables -X
iptables -S
