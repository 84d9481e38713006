# REJECT --reject-with tcp-reset in the sender's own OUTPUT chain: the reset comes from the peer's address.
ip netns add c
ip netns add r
ip netns add s
ip link add c0 type veth peer name rc netns r
ip link set c0 netns c
ip netns exec r ip link add rs type veth peer name s0 netns s
ip netns exec c ip addr add 10.0.1.2/24 dev c0
ip netns exec r ip addr add 10.0.1.1/24 dev rc
ip netns exec r ip addr add 10.0.2.1/24 dev rs
ip netns exec s ip addr add 10.0.2.2/24 dev s0
ip netns exec c ip link set c0 up
ip netns exec r ip link set rc up
ip netns exec r ip link set rs up
ip netns exec s ip link set s0 up
ip netns exec c ip link set lo up
ip netns exec s ip link set lo up
ip netns exec c ip route add default via 10.0.1.1
ip netns exec s ip route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec c iptables -A OUTPUT -p tcp --dport 80 -j REJECT --reject-with tcp-reset
ip netns exec c nc -z -v -w 1 10.0.2.2 80
