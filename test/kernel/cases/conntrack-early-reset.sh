# An unassured TCP entry dies when a RST arrives, even if filter INPUT then drops the RST.
ip netns add c
ip netns add s
ip link add c0 type veth peer name s0 netns s
ip link set c0 netns c
ip netns exec c ip addr add 10.0.1.2/24 dev c0
ip netns exec s ip addr add 10.0.1.3/24 dev s0
ip netns exec c ip link set c0 up
ip netns exec s ip link set s0 up
ip netns exec c iptables -A INPUT -p tcp -m state --state NEW
ip netns exec c traceroute -n -q 1 -w 1 -m 1 -T 10.0.1.3
ip netns exec c conntrack -L
ip netns exec c iptables -A INPUT -s 10.0.1.3 -p tcp -j DROP
ip netns exec c traceroute -n -q 1 -w 1 -m 1 -T 10.0.1.3
ip netns exec c conntrack -L
ip netns exec c iptables -L INPUT -v -n
