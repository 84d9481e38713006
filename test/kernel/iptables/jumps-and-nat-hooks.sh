iptables -A FORWARD -j INPUT
iptables -A OUTPUT -j FORWARD
iptables -N u
iptables -A u -j INPUT
iptables -A u -j u
iptables -A u -g u
iptables -N v
iptables -A u -j v
iptables -A v -j u
iptables -S
iptables -E v w
iptables -E u INPUT
iptables -E u w
iptables -E w ACCEPT
iptables -E w thisnameistoolongforachainxxxx
iptables -E w x
iptables -E u
iptables -S
iptables -L -n
iptables -t nat -N M
iptables -t nat -A M -j MASQUERADE
iptables -t nat -A POSTROUTING -j M
iptables -t nat -A PREROUTING -j M
iptables -t nat -I PREROUTING -j M
iptables -t nat -N D
iptables -t nat -A PREROUTING -j D
iptables -t nat -A D -j MASQUERADE
iptables -t nat -A D -j DNAT --to-destination 10.0.0.1
iptables -t nat -A POSTROUTING -j D
iptables -t nat -S
iptables -A INPUT -j REJECT --reject-with tcp-reset
iptables -A INPUT -p tcp -m tcp --dport 80 ! -p udp -j ACCEPT
iptables -A INPUT -m tcp --dport 80 -j ACCEPT
iptables -A INPUT -m tcp -p tcp --dport 80 -j ACCEPT
iptables -A INPUT -m conntrack --ctstate NEW -p tcp --dport 80 -s 10.0.0.1 -j ACCEPT
iptables -A INPUT -p tcp --dport 2 --sport 1 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80 -m conntrack --ctstate NEW --sport 3 -j ACCEPT
iptables -A INPUT -m state --state UNTRACKED,RELATED,ESTABLISHED,NEW,INVALID -j ACCEPT
iptables -A INPUT -m conntrack --ctstate UNTRACKED,RELATED,ESTABLISHED,NEW,INVALID,DNAT,SNAT -j ACCEPT
iptables -A FORWARD -m physdev --physdev-is-out --physdev-out b --physdev-is-in --physdev-in a --physdev-is-bridged -j ACCEPT
iptables -A FORWARD -m physdev ! --physdev-is-out ! --physdev-out b ! --physdev-is-in ! --physdev-in a ! --physdev-is-bridged -j ACCEPT
iptables -A FORWARD -m physdev -j ACCEPT
iptables -A INPUT -j LOG --log-level debug --log-prefix "a b" --log-tcp-sequence --log-macdecode
iptables -A INPUT -j LOG --log-level emerg
iptables -A INPUT -j LOG --log-level 8
iptables -A INPUT -j LOG --log-prefix "123456789012345678901234567890"
iptables -A INPUT -p icmp -m icmp --icmp-type 3 -j ACCEPT
iptables -A INPUT -p icmp -m icmp ! --icmp-type 3/1 -j ACCEPT
iptables -A INPUT -p icmp -m icmp --icmp-type ping -j ACCEPT
iptables -A INPUT -p icmp -m icmp --icmp-type 300 -j ACCEPT
iptables -A INPUT -p icmp -m icmp --icmp-type 3/300 -j ACCEPT
iptables -A INPUT -p icmp -j ACCEPT --icmp-type 0
iptables -A INPUT -p udp -m multiport --dports 5:4 -j ACCEPT
iptables -A INPUT -p tcp --dport 0 -j ACCEPT
iptables -A INPUT -p tcp --dport 0:65535 -j ACCEPT
iptables -A INPUT -p tcp --dport 1:65535 -j ACCEPT
iptables -A INPUT -p tcp --sport 5:5 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 1:65535 -j ACCEPT
iptables -A INPUT -s 10.0.0.1/0 -j ACCEPT
iptables -A INPUT -d 0/0 -j ACCEPT
iptables -A INPUT ! -s 0.0.0.0/0 -j ACCEPT
iptables -A INPUT ! -i lo -j ACCEPT
iptables -A INPUT -i + -j ACCEPT
iptables -A INPUT ! -i + -j ACCEPT
iptables -S INPUT
iptables -L INPUT -n -v
iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 5
iptables -t nat -A POSTROUTING -p udp -j MASQUERADE --to-ports 5:6
iptables -t nat -A POSTROUTING -p udp -j MASQUERADE --to-ports 5-6 --random --random-fully
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4:80
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3
iptables -t nat -A POSTROUTING -j SNAT --to-source foo
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4 --to-source 1.2.3.5
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4 --random --persistent
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80-
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:90-80
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.5-10.0.0.1
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:0
iptables -t nat -A PREROUTING -p tcp -j DNAT --to 10.0.0.1
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1/24
iptables -t nat -A PREROUTING -j DNAT --to-destination 10.0.0.1 --random
iptables -t nat -A OUTPUT -j SNAT --to-source 1.2.3.4
iptables -t nat -A INPUT -j SNAT --to-source 1.2.3.4
iptables -t nat -A INPUT -j DNAT --to-destination 1.2.3.4
iptables -t nat -A INPUT -j MASQUERADE
iptables -t nat -A OUTPUT -j MASQUERADE
iptables -t nat -S
iptables -t nat -L -n
