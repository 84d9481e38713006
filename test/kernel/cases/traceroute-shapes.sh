# traceroute shapes: connect errors, usage and range errors, packet lengths, -N 1, -q 2,
# a sender whose own ARP fails (lo down: silence; lo up: !H from itself), tracing its own
# address, !N from a router without a route, ip_error rate limiting with default icmp_ratemask,
# the UDP and rate-limit counters, and the two rate-limit sysctls. Every command uses -n:
# reverse lookups would send DNS queries through the routers and drain their ICMP buckets.
ip netns add c
ip netns add r1
ip netns add r2
ip netns add s
ip link add c0 type veth peer name r1c netns r1
ip link set c0 netns c
ip netns exec r1 ip link add r1n type veth peer name r2n netns r2
ip netns exec r2 ip link add r2s type veth peer name s0 netns s
ip netns exec c ip addr add 10.0.1.2/24 dev c0
ip netns exec r1 ip addr add 10.0.1.1/24 dev r1c
ip netns exec r1 ip addr add 10.0.12.1/24 dev r1n
ip netns exec r2 ip addr add 10.0.12.2/24 dev r2n
ip netns exec r2 ip addr add 10.0.2.1/24 dev r2s
ip netns exec s ip addr add 10.0.2.2/24 dev s0
ip netns exec c ip link set c0 up
ip netns exec r1 ip link set r1c up
ip netns exec r1 ip link set r1n up
ip netns exec r2 ip link set r2n up
ip netns exec r2 ip link set r2s up
ip netns exec s ip link set s0 up
ip netns exec r1 ip route add 10.0.2.0/24 via 10.0.12.2
ip netns exec r2 ip route add 10.0.1.0/24 via 10.0.12.1
ip netns exec s ip route add default via 10.0.2.1
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec c traceroute -n -q 1 -w 1 10.0.2.2
ip netns exec c traceroute -n -q 1 -w 1 -I 10.0.2.2
ip netns exec c ip route add default via 10.0.1.1
ip netns exec c traceroute
ip netns exec c traceroute -q 11 10.0.2.2
ip netns exec c traceroute -m 0 10.0.2.2
ip netns exec c traceroute -m 256 10.0.2.2
ip netns exec c traceroute -w -1 10.0.2.2
ip netns exec c traceroute -n -q 1 -w 1 -x 10.0.2.2
ip netns exec c traceroute -n -q 1 -w 1 -m 3 10.0.2.2 10
ip netns exec c traceroute -n -q 1 -w 1 -m 3 10.0.2.2 100
ip netns exec c traceroute -n 10.0.2.2
ip netns exec c traceroute -n -N 1 -w 1 -m 4 10.0.2.2
ip netns exec c traceroute -n -q 2 -w 1 -m 3 10.0.2.2
ip netns exec c traceroute -n -q 1 -w 5 -m 2 10.0.1.99
ip netns exec c ip link set lo up
ip netns exec c traceroute -n -q 1 -w 5 -m 2 10.0.1.98
ip netns exec c traceroute -n -q 1 -w 1 -m 3 10.0.1.2
ip netns exec c traceroute -n -q 1 -w 1 -m 3 -I 10.0.1.2
ip netns exec r2 ip route add unreachable 10.0.3.0/24
ip netns exec r2 ip route add prohibit 10.0.4.0/24
ip netns exec r1 ip route add 10.0.3.0/23 via 10.0.12.2
ip netns exec r1 ip route add 10.0.5.0/24 via 10.0.12.2
ip netns exec c traceroute -n -q 1 -w 1 -m 4 10.0.3.1
ip netns exec c traceroute -n -q 1 -w 1 -m 4 10.0.4.1
ip netns exec c traceroute -n -q 3 -w 1 -m 4 10.0.5.1
ip netns exec c nstat -az IcmpOutRateLimitHost
ip netns exec r2 nstat -az IcmpOutRateLimitHost UdpNoPorts
ip netns exec s nstat -az IcmpOutRateLimitHost UdpNoPorts UdpOutDatagrams
ip netns exec c nstat -az UdpOutDatagrams
ip netns exec c sysctl net.ipv4.icmp_ratelimit net.ipv4.icmp_ratemask
ip netns exec c sysctl -w net.ipv4.icmp_ratemask=abc
ip netns exec c sysctl -w net.ipv4.icmp_ratelimit=-5
ip netns exec c sysctl net.ipv4.icmp_ratelimit
