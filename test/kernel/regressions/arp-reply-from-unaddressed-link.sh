# Regression: n0 has two links on one bridge segment (br0 and the unaddressed e0x1), so
# both answer n1's ARP request for 10.0.0.1. The kernel keeps the first reply for the neighbour
# locktime (net/ipv4/arp.c, arp_process), the simulator used to keep the last one, whose link then fails
# n0's strict rp_filter.
# Found by random-differential.test.ts, seed 3; first difference: -64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=<rtt> ms
ip netns add n0
ip netns exec n0 sysctl -qw net.ipv4.ip_forward=0
ip netns exec n0 sysctl -qw net.ipv4.conf.all.rp_filter=1
ip netns exec n0 sysctl -qw net.ipv4.conf.default.rp_filter=1
ip -n n0 link set lo up
ip netns add n1
ip netns exec n1 sysctl -qw net.ipv4.ip_forward=0
ip netns exec n1 sysctl -qw net.ipv4.conf.all.rp_filter=0
ip netns exec n1 sysctl -qw net.ipv4.conf.default.rp_filter=0
ip -n n1 link set lo up
ip -n n0 link add br0 type bridge
ip -n n0 link add p0x0 type veth peer name e0x0 netns n1
ip -n n0 link set p0x0 master br0
ip -n n0 link add p0x1 type veth peer name e0x1
ip -n n0 link set p0x1 master br0
ip -n n0 addr add 10.0.0.1/24 dev br0
ip -n n1 addr add 10.0.0.10/24 dev e0x0
ip -n n0 link set br0 up
ip -n n1 link set e0x0 up
ip -n n0 link set p0x0 up
ip -n n0 link set e0x1 up
ip -n n0 link set p0x1 up
sleep 1
ip netns exec n1 ping -c 1 -W 1 10.0.0.1
ip netns exec n0 ping -c 1 -W 1 10.0.0.1
ip -n n0 route show
ip -n n1 route show
