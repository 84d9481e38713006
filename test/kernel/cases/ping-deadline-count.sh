# With -w, -c counts replies, not probes sent: ping keeps sending once a second until -c
# replies came or the deadline passed. Two silent targets: b replies to ARP for 10.0.0.3 but
# its INPUT chain drops the echo requests, and 10.9.0.1 sits behind b, which has
# forwarding off and drops without an ICMP error.
ip netns add a
ip netns add b
ip netns exec a ip link add eth0 type veth peer name eth0 netns b
ip netns exec a ip addr add 10.0.0.1/24 dev eth0
ip netns exec b ip addr add 10.0.0.2/24 dev eth0
ip netns exec a ip link set eth0 up
ip netns exec b ip link set eth0 up
ip netns exec a ip link set lo up
ip netns exec b ip link set lo up
ip netns exec b ip addr add 10.0.0.3/24 dev eth0
ip netns exec b iptables -A INPUT -d 10.0.0.3 -p icmp -j DROP
ip netns exec a ip route add 10.9.0.0/24 via 10.0.0.2
ip netns exec b sysctl net.ipv4.ip_forward
TIMEFORMAT='[took %1R s]'; time ip netns exec a ping -c 2 -w 3 10.0.0.3
TIMEFORMAT='[took %1R s]'; time ip netns exec a ping -c 2 -w 3 10.9.0.1
# Replies still end the run at -c.
TIMEFORMAT='[took %1R s]'; time ip netns exec a ping -c 2 -w 3 10.0.0.2
