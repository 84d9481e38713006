# arp_ignore modes 2, 3 and 8 at the target b: 2 answers only when the sender is in the
# target address's subnet, 3 never for host-scope addresses, 8 never at all.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec a ip addr add 10.9.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec b ip addr add 192.0.2.9/32 dev lo
ip netns exec b ip addr add 192.0.2.10/32 dev lo scope host
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec b ip link set lo up
ip netns exec a ip route add 192.0.2.0/24 dev va
ip netns exec b ip route add 10.9.0.0/24 dev vb
ip netns exec b sysctl -qw net.ipv4.conf.vb.arp_ignore=8
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ip neigh flush dev va
ip netns exec b sysctl -qw net.ipv4.conf.vb.arp_ignore=2
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ping -c 1 -W 1 -I 10.9.0.1 192.0.2.9
ip netns exec a ip neigh flush dev va
ip netns exec b ip neigh flush dev vb
ip netns exec a ping -c 1 -W 1 -I 10.9.0.1 10.0.0.2
ip netns exec a ip neigh flush dev va
ip netns exec b ip neigh flush dev vb
ip netns exec b sysctl -qw net.ipv4.conf.vb.arp_ignore=3
ip netns exec a ping -c 1 -W 1 192.0.2.9
ip netns exec a ip neigh flush dev va
ip netns exec a ping -c 1 -W 1 192.0.2.10
ip netns exec a ip neigh show 192.0.2.10
ip netns exec b sysctl -qw net.ipv4.conf.vb.arp_ignore=5
ip netns exec a ip neigh flush dev va
ip netns exec a ping -c 1 -W 1 192.0.2.10
