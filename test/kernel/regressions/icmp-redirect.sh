# n2 forwards n0's ping back out the link it came in on, so it sends n0 a redirect, which ping
# prints as "Redirect Host(New nexthop: 10.0.0.11)". n0 ignores it, because 10.0.0.11 is its own
# address.
# Found by random-differential.test.ts, seed 1; first difference: -From 10.0.0.12: icmp_seq=1 Redirect Host(New nexthop: 10.0.0.11)
ip netns add n0
ip netns exec n0 sysctl -qw net.ipv4.ip_forward=0
ip netns exec n0 sysctl -qw net.ipv4.conf.all.rp_filter=0
ip netns exec n0 sysctl -qw net.ipv4.conf.default.rp_filter=0
ip -n n0 link set lo up
ip netns add n1
ip netns exec n1 sysctl -qw net.ipv4.ip_forward=0
ip netns exec n1 sysctl -qw net.ipv4.conf.all.rp_filter=0
ip netns exec n1 sysctl -qw net.ipv4.conf.default.rp_filter=0
ip -n n1 link set lo up
ip netns add n2
ip netns exec n2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec n2 sysctl -qw net.ipv4.conf.all.rp_filter=0
ip netns exec n2 sysctl -qw net.ipv4.conf.default.rp_filter=0
ip -n n2 link set lo up
ip -n n0 link add br0 type bridge
ip -n n0 link add p0x0 type veth peer name e0x0
ip -n n0 link set p0x0 master br0
ip -n n0 link add p0x1 type veth peer name e0x1
ip -n n0 link set p0x1 master br0
ip -n n0 link add p0x2 type veth peer name e0x2 netns n2
ip -n n0 link set p0x2 master br0
ip -n n0 link add a1 type veth peer name b1 netns n1
ip -n n0 link add a2 type veth peer name b2
ip -n n0 addr add 10.0.0.10/24 dev e0x0
ip -n n0 addr add 10.0.0.11/24 dev e0x1
ip -n n2 addr add 10.0.0.12/24 dev e0x2
ip -n n1 addr add 10.0.1.2/24 dev b1
ip -n n0 addr add 192.168.7.2/24 dev b2
ip -n n0 addr add 192.168.7.1/24 dev a2
ip -n n0 link set br0 up
ip -n n0 link set p0x0 up
ip -n n0 link set e0x1 up
ip -n n0 link set p0x1 up
ip -n n2 link set e0x2 up
ip -n n0 link set p0x2 up
ip -n n1 link set b1 up
ip -n n0 link set a1 up
ip -n n0 link set b2 up
ip -n n0 link set a2 up
sleep 1
ip -n n0 route add default via 10.0.0.12
ip -n n2 route add default via 10.0.0.11
ip netns exec n0 ping -c 1 -W 1 10.0.0.12
ip -n n0 link set b2 up; sleep 1
ip netns exec n0 ping -c 1 -W 1 10.0.0.12
ip netns exec n0 ping -c 1 -W 1 10.0.0.12
ip netns exec n2 ping -c 1 -W 1 10.0.0.11
ip netns exec n0 ping -c 1 -W 1 10.0.1.2
ip -n n0 route show
ip -n n1 route show
ip -n n2 route show
