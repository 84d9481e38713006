# conntrack -L, -C, -D and -F after ICMP pings through a router that masquerades:
# ns1 (10.0.1.2) behind the host (10.0.1.1 / 192.0.2.1) and "world" (192.0.2.2,
# 203.0.113.8 on lo) without a route back. Probes: the entry shapes of a masqueraded
# echo, an unanswered one ([UNREPLIED]), the host's own ping (no NAT) and a nat OUTPUT
# DNAT; the filters -p, -n, -g, --orig-src, --orig-dst; the messages of -C, -D and -F;
# option errors.
ip netns add ns1
ip netns add world
ip link add h1 type veth peer name a1 netns ns1
ip link add h2 type veth peer name w2 netns world
ip addr add 10.0.1.1/24 dev h1
ip addr add 192.0.2.1/24 dev h2
ip link set h1 up
ip link set h2 up
ip netns exec ns1 ip addr add 10.0.1.2/24 dev a1
ip netns exec ns1 ip link set a1 up
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ip route add default via 10.0.1.1
ip netns exec world ip addr add 192.0.2.2/24 dev w2
ip netns exec world ip addr add 203.0.113.8/32 dev lo
ip netns exec world ip link set w2 up
ip netns exec world ip link set lo up
ip netns exec world sysctl -qw net.ipv4.ip_forward=0
ip route add default via 192.0.2.2
sysctl -qw net.ipv4.ip_forward=1
ip netns exec ns1 ping -c 1 -W 1 203.0.113.8
conntrack -L
conntrack -C
iptables -t nat -A POSTROUTING -s 10.0.1.0/24 -o h2 -j MASQUERADE
ip netns exec ns1 ping -c 1 -W 1 203.0.113.8
ip netns exec ns1 ping -c 1 -W 1 203.0.113.9
ping -c 1 -W 1 192.0.2.2
iptables -t nat -A OUTPUT -d 198.51.100.7 -p icmp -j DNAT --to-destination 192.0.2.2
ping -c 1 -W 1 198.51.100.7
conntrack -L
conntrack -L -p icmp
conntrack -L -p tcp
conntrack -L -p udp
conntrack -L -n
conntrack -L -g
conntrack -L --orig-src 10.0.1.2
conntrack -L --orig-dst 192.0.2.2
conntrack -L -p icmp --orig-src 10.0.1.2 -n
conntrack -C
ip netns exec ns1 conntrack -L
ip netns exec world conntrack -C
conntrack -L -p tcp --dport 80
conntrack -L --dport 80
conntrack -L -p udp --orig-port-src 5000
conntrack -L -p icmp --dport 80
conntrack -L -p nosuch
conntrack -L --orig-src 10.0.1
conntrack -L --bogus
conntrack -X
conntrack
conntrack -D -p icmp --orig-dst 203.0.113.9
conntrack -C
conntrack -D --orig-src 10.9.9.9
conntrack -F
conntrack -C
conntrack -L
conntrack -F
conntrack -D
