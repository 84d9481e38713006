# traceroute when the sender's own OUTPUT chain drops or rejects its probes: the send call
# fails with EPERM, and traceroute prints "send: Operation not permitted" and stops.
ip netns add c
ip netns add s
ip link add c0 type veth peer name s0 netns s
ip link set c0 netns c
ip netns exec c ip addr add 10.0.1.2/24 dev c0
ip netns exec s ip addr add 10.0.1.3/24 dev s0
ip netns exec c ip link set c0 up
ip netns exec s ip link set s0 up
ip netns exec c iptables -A OUTPUT -d 10.0.1.3 -j DROP
ip netns exec c traceroute -n -q 1 -w 1 -m 2 10.0.1.3
ip netns exec c traceroute -n -q 1 -w 1 -m 2 -I 10.0.1.3
ip netns exec c traceroute -n -q 1 -w 1 -m 2 -T 10.0.1.3
ip netns exec c traceroute -n -q 1 -w 1 -m 2 -U 10.0.1.3
ip netns exec c iptables -R OUTPUT 1 -d 10.0.1.3 -j REJECT
ip netns exec c traceroute -n -q 1 -w 1 -m 2 10.0.1.3
ip netns exec c traceroute -n -q 1 -w 1 -m 2 -I 10.0.1.3
ip netns exec c ip link set lo up
ip netns exec c traceroute -n -q 1 -w 1 -m 2 10.0.1.3
ip netns exec c traceroute -n -q 1 -w 1 -m 2 10.0.1.2
ip netns exec c iptables -L OUTPUT -v -n
