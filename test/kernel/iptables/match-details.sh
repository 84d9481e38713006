iptables -A INPUT -p tcp -m multiport -j ACCEPT
iptables -A INPUT -m state --state FOO -j ACCEPT
iptables -A INPUT -m state ! --state NEW -j ACCEPT
iptables -A INPUT -m state --state SNAT -j ACCEPT
iptables -A INPUT -m conntrack --ctstate new -j ACCEPT
iptables -A INPUT ! -p tcp --dport 80 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type 3 -m icmp --icmp-type 8 -j ACCEPT
iptables -A INPUT -m comment --comment "hello world" -j ACCEPT
iptables -A INPUT -m comment --comment plain -j ACCEPT
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset -j DROP
iptables -A INPUT -m addrtype --dst-type local -j ACCEPT
iptables -S INPUT
iptables -L INPUT -n
