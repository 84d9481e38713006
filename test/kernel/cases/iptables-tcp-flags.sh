# TCP flag tests in iptables rules, as "log new connections" tutorials write them. --syn is
# --tcp-flags FIN,SYN,RST,ACK SYN (mask 0x17, comp 0x02). libxt_tcp reads --tcp-flags MASK
# COMP as two comma-separated lists of FIN, SYN, RST, PSH, ACK, URG, ALL and NONE in any case.
# It prints each list with print_tcpf (names in that order, NONE for zero), and -L -n prints
# hex. Probes: listings of several forms, counters after a connect from c (10.0.1.2) to s
# (10.0.1.3, listening on 80) and a connect to a closed port, the option errors, and a round
# trip through iptables-save and iptables-restore.
mount -t tmpfs tmpfs /tmp
ip netns add c
ip netns add s
ip link add c0 netns c type veth peer name s0 netns s
ip netns exec c ip addr add 10.0.1.2/24 dev c0
ip netns exec s ip addr add 10.0.1.3/24 dev s0
ip netns exec c ip link set c0 up
ip netns exec s ip link set s0 up
ip netns exec s ip link set lo up
ip netns exec s iptables -A INPUT -p tcp --syn
ip netns exec s iptables -A INPUT -p tcp ! --syn
ip netns exec s iptables -A INPUT -p tcp --dport 80 --tcp-flags SYN,ACK ACK
ip netns exec s iptables -A INPUT -p tcp --tcp-flags ALL NONE -j DROP
ip netns exec s iptables -A INPUT -p tcp --tcp-flags syn,fin syn,fin -j DROP
ip netns exec s iptables -A INPUT -p tcp -m tcp ! --tcp-flags RST RST
ip netns exec s iptables -A OUTPUT -p tcp --tcp-flags SYN,ACK SYN,ACK
ip netns exec s iptables -A OUTPUT -p tcp --tcp-flags RST,,ACK RST,ACK
ip netns exec s iptables -S
ip netns exec s iptables -L -n
ip netns exec s iptables -L
ip netns exec s timeout 5 nc -l 80 >/dev/null 2>&1 & sleep 0.5
ip netns exec c nc -z -w 1 10.0.1.3 80
ip netns exec c nc -z -w 1 10.0.1.3 81
ip netns exec s iptables -L -n -v
ip netns exec s iptables-save -t filter
ip netns exec s iptables -D INPUT -p tcp --tcp-flags FIN,SYN,RST,ACK SYN
ip netns exec s iptables -C INPUT -p tcp ! --syn
ip netns exec s iptables -D INPUT -p tcp ! --syn
ip netns exec s iptables -A INPUT -p tcp --syn --syn
ip netns exec s iptables -A INPUT -p tcp --syn --tcp-flags SYN SYN
ip netns exec s iptables -A INPUT -p tcp --tcp-flags SYN
ip netns exec s iptables -A INPUT -p tcp --tcp-flags SYN -j ACCEPT
ip netns exec s iptables -A INPUT -p tcp --tcp-flags SYN ! ACK
ip netns exec s iptables -A INPUT -p tcp --tcp-flags SYN,BOGUS SYN
ip netns exec s iptables -A INPUT -p udp --syn
ip netns exec s iptables -A INPUT --syn
ip netns exec s iptables -S INPUT
ip netns exec s iptables-save -t filter > /tmp/rules.v4; ip netns exec s iptables -F; ip netns exec s iptables-restore < /tmp/rules.v4
ip netns exec s iptables -S INPUT
