# With the echo reply bit (0) in icmp_ratemask, echo replies draw on the per-host ICMP token
# bucket: with icmp_ratelimit=10000 ms only the burst of 6 replies goes out.
ip netns add a
ip netns add b
ip link add a0 netns a type veth peer name b0 netns b
ip -n a addr add 10.1.0.1/24 dev a0
ip -n b addr add 10.1.0.2/24 dev b0
ip -n a link set a0 up
ip -n b link set b0 up
ip netns exec b sysctl -w net.ipv4.icmp_ratemask=6169
ip netns exec b sysctl -w net.ipv4.icmp_ratelimit=10000
ip netns exec a ping -c 10 -i 0.01 -q 10.1.0.2
ip netns exec b nstat -az IcmpOutEchoReps IcmpInEchos
