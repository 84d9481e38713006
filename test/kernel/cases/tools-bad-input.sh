# Mistyped conntrack, ip neigh, nc, iptables, tcpdump and traceroute lines (found by fuzzing).
mount -t tmpfs tmpfs /tmp
ip netns add a
ip link add eth0 type veth peer name eth1 netns a
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
ip netns exec a ip addr add 10.0.0.2/24 dev eth1
ip netns exec a ip link set eth1 up
iptables -t nat -A POSTROUTING -j MASQUERADE
conntrack conntrack -D -p udp --orig-port-src 5000
conntrack -D -p udp 5000
conntrack -F -F
conntrack -L -1 tcp --orig-src 10.0.0.1
conntrack -D -p --orig-port-src 5000
conntrack -F bogus
ip neigh replace 10.0.0.9 lladdr lladdr 02:00:00:00:00:09 dev eth0 nud stale
ip neigh replace 10.0.0.9 lladdr 02:00:00:00:00:09 dev nud stale
echo hi | ip netns exec a nc -N -w bogus 10.0.0.1 80
ip netns exec a nc -z -v -w 1 10.0.0.1 10.0.0.1/99
echo hi | ip netns exec a nc -N -w 1  80
iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT 99999 10.0.0.2:80
iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 99999
iptables -L -L INPUT -v --line-numbers
timeout 1 tcpdump -n -i eth0 and host 10.0.0.2
timeout 1 tcpdump -n -i -i eth0 icmp
traceroute -n -T -p 22 -q 1 -w 1 -m 3 10.0.0.2 10.0.0.2
traceroute -n -T -p 22 -q 1 -w 1 -m 3 10.0.0.2 -1
