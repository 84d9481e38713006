# A reply that a router drops after its conntrack hook still updates the flow's entry: the
# entry loses [UNREPLIED], and a SYN-ACK moves a TCP entry to SYN_RECV. nf_conntrack_in runs
# at PREROUTING and updates a confirmed entry there, before the routing or the filter table
# drops the packet. Router r masquerades client (10.0.1.2, and 10.0.9.2 on the same veth)
# towards server (203.0.113.10). Probes: a ping from 10.0.9.2, to which r has no route back,
# then a ping and a TCP connect whose replies filter FORWARD drops.
ip netns add client
ip netns add r
ip netns add server
ip link add c0 netns client type veth peer name ra netns r
ip link add rb netns r type veth peer name s0 netns server
ip netns exec client ip addr add 10.0.1.2/24 dev c0
ip netns exec client ip addr add 10.0.9.2/24 dev c0
ip netns exec r ip addr add 10.0.1.1/24 dev ra
ip netns exec r ip addr add 203.0.113.1/24 dev rb
ip netns exec server ip addr add 203.0.113.10/24 dev s0
ip netns exec client ip link set c0 up
ip netns exec r ip link set ra up
ip netns exec r ip link set rb up
ip netns exec server ip link set s0 up
ip netns exec server ip link set lo up
ip netns exec client ip route add default via 10.0.1.1
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec r iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
ip netns exec client ping -c 1 -W 1 -I 10.0.9.2 203.0.113.10
ip netns exec r conntrack -L
ip netns exec r conntrack -F
ip netns exec r iptables -A FORWARD -i rb -j DROP
ip netns exec client ping -c 1 -W 1 203.0.113.10
ip netns exec r conntrack -L
ip netns exec r iptables -L FORWARD -v -n
ip netns exec r conntrack -F
ip netns exec server timeout 5 nc -l 443 >/dev/null 2>&1 & sleep 0.5
ip netns exec client nc -z -v -w 1 203.0.113.10 443
ip netns exec r conntrack -L
