# traceroute -U sends every UDP probe to one port (53 unless -p gives one), through a router.
ip netns add a
ip netns add r
ip netns add b
ip link add a0 netns a type veth peer name ra netns r
ip link add b0 netns b type veth peer name rb netns r
ip -n a addr add 10.1.0.2/24 dev a0
ip -n r addr add 10.1.0.1/24 dev ra
ip -n r addr add 10.2.0.1/24 dev rb
ip -n b addr add 10.2.0.2/24 dev b0
ip -n a link set a0 up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set b0 up
ip -n a route add default via 10.1.0.1
ip -n b route add default via 10.2.0.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec a traceroute -n -U -q 1 -w 1 10.2.0.2
ip netns exec a traceroute -n -U -p 5000 -q 2 -w 1 10.2.0.2
ip netns exec a traceroute -n --udp -m 1 -q 1 -w 1 10.2.0.2
ip netns exec b iptables -A INPUT -p udp --dport 53 -j DROP
ip netns exec a traceroute -n -U -m 3 -q 1 -w 1 10.2.0.2
ip netns exec b iptables -L INPUT -n -v -x
