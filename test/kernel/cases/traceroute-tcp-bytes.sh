# A traceroute -T probe is a bare SYN: 60 bytes in tcpdump and in iptables' byte counters.
mount -t tmpfs tmpfs /tmp
ip netns add r
ip netns add a
ip netns add c
ip netns add b
ip netns exec r ip link add br0 type bridge
ip link add va type veth peer name pa netns r
ip link set va netns a
ip link add vc type veth peer name pc netns r
ip link set vc netns c
ip link add vb type veth peer name rb netns r
ip link set vb netns b
ip netns exec r ip link set pa master br0
ip netns exec r ip link set pc master br0
ip netns exec r ip link set pa up
ip netns exec r ip link set pc up
ip netns exec r ip link set br0 up
ip netns exec r ip addr add 10.0.1.1/24 dev br0
ip netns exec r ip addr add 198.51.100.1/24 dev rb
ip netns exec r ip link set rb up
ip netns exec r ip link set lo up
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec a ip addr add 10.0.1.2/24 dev va
ip netns exec a ip link set va up
ip netns exec a ip link set lo up
ip netns exec a ip route add default via 10.0.1.1
ip netns exec c ip addr add 10.0.1.3/24 dev vc
ip netns exec c ip link set vc up
ip netns exec c ip link set lo up
ip netns exec c ip route add default via 10.0.1.1
ip netns exec b ip addr add 198.51.100.2/24 dev vb
ip netns exec b ip link set vb up
ip netns exec b ip link set lo up
ip netns exec r iptables -t nat -A POSTROUTING -s 10.0.1.0/24 -o rb -j MASQUERADE
ip netns exec a traceroute -n -T -p 80 -q 1 -m 2 198.51.100.2
ip netns exec r iptables -t nat -L POSTROUTING -v -n -x
