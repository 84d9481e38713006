iptables -N zeta
iptables -N alpha
iptables -N Mid
iptables -N 1num
iptables -S
iptables -L -n
iptables -N this-name-is-exactly-29-chars
iptables -N this-name-is-exactly-28-char
iptables -N ACCEPT
iptables -N INPUT
iptables -N "a b"
iptables -N -foo
iptables -N
iptables -X INPUT
iptables -X nope
iptables -X
iptables -S
iptables -N a1
iptables -N a2
iptables -A a1 -j a2
iptables -A INPUT -j a1
iptables -X
iptables -S
iptables -F
iptables -X
iptables -S
iptables -E a1 b1
iptables -E INPUT foo
iptables -F nope
iptables -Z nope
iptables -S nope
iptables -L nope
iptables -A nope -j ACCEPT
iptables -I nope -j ACCEPT
iptables -D nope 1
iptables -R nope 1 -j ACCEPT
iptables -R INPUT 1 -j ACCEPT
iptables -R INPUT 0 -j ACCEPT
iptables -D INPUT 0
iptables -I INPUT 0 -j ACCEPT
iptables -I INPUT 1 -j ACCEPT
iptables -I INPUT 2 -j DROP
iptables -I INPUT 4 -j DROP
iptables -I INPUT 3 -j RETURN
iptables -I INPUT -s 10.9.9.9 -j LOG
iptables -S INPUT 1
iptables -S INPUT 9
iptables -L INPUT 2 -n
iptables -L INPUT 2 -n -v --line-numbers
iptables -R INPUT 2 -j REJECT
iptables -D INPUT 2
iptables -S INPUT
iptables -D INPUT -j RETURN
iptables -D INPUT -s 10.9.9.9/32 -j LOG
iptables -S INPUT
iptables -D INPUT -j ACCEPT
iptables -S INPUT
iptables -A INPUT -j INPUT
iptables -A INPUT -j FORWARD
iptables -A INPUT -j nat
iptables -A INPUT -j MASQUERADE
iptables -A INPUT -j DNAT --to-destination 1.2.3.4
iptables -A INPUT -j SNAT --to-source 1.2.3.4
iptables -t nat -A POSTROUTING -j REJECT
iptables -t nat -A PREROUTING -j SNAT --to-source 1.2.3.4
iptables -t nat -A POSTROUTING -j DNAT --to-destination 1.2.3.4
iptables -t nat -A PREROUTING -j MASQUERADE
iptables -t nat -A PREROUTING -j DNAT
iptables -t nat -A POSTROUTING -j SNAT
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
iptables -t nat -A PREROUTING -o eth0 -j ACCEPT
iptables -t nat -A POSTROUTING -i eth0 -j ACCEPT
iptables -A OUTPUT -i eth0 -j ACCEPT
iptables -P INPUT RETURN
iptables -P INPUT accept
iptables -P INPUT
iptables -P
iptables -t nat -P PREROUTING DROP
iptables -t nat -S
iptables -A INPUT -p foo -j ACCEPT
iptables -A INPUT -p 300 -j ACCEPT
iptables -A INPUT --dport 80 -j ACCEPT
iptables -A INPUT -p udp --dport 99999 -j ACCEPT
iptables -A INPUT -p udp --dport 90:80 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type foo -j ACCEPT
iptables -A INPUT -p tcp --icmp-type 8 -j ACCEPT
iptables -A INPUT -s 10.0.0.300 -j ACCEPT
iptables -A INPUT -s 10.0.0.1/33 -j ACCEPT
iptables -A INPUT -s 10.1 -j ACCEPT
iptables -A INPUT -s 10.0.0.0/255.0.255.0 -j ACCEPT
iptables -A INPUT -j REJECT --reject-with foo
iptables -A INPUT -m conntrack --ctstate FOO -j ACCEPT
iptables -A INPUT -m state --state RELATED -j ACCEPT
iptables -A INPUT -m foo -j ACCEPT
iptables -A INPUT --foo -j ACCEPT
iptables -A INPUT -j ACCEPT extra
iptables -A INPUT -s 1.2.3.4 -s 1.2.3.5 -j ACCEPT
iptables -A INPUT -j ACCEPT -j DROP
iptables -A
iptables -A INPUT -i
iptables -A INPUT -j
iptables -L -S
iptables -A INPUT -D INPUT 1
iptables
iptables -t raw -S
iptables -t mangle -S
iptables -t security -S
iptables -t filter -t nat -S
iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 -j ACCEPT
iptables -A INPUT -m multiport --dports 1 -j ACCEPT
iptables -A INPUT -i this-name-is-way-too-long-for-a-link -j ACCEPT
iptables -A INPUT -m physdev --physdev-in x -j ACCEPT
iptables -A INPUT ! -p all -j ACCEPT
iptables -S INPUT
iptables -C INPUT -m state --state RELATED -j ACCEPT
iptables -C INPUT -p 6 -j ACCEPT
iptables -L -n --line-numbers -v -x INPUT
iptables -L INPUT FORWARD
iptables -S INPUT x
iptables -F INPUT
iptables -Z INPUT 1
iptables -L -n -Z
iptables -vnL INPUT
iptables -nvL
