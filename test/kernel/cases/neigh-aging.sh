# A REACHABLE entry turns STALE once reachable_time (15 to 45 s) passed without confirmation;
# the next packet makes it DELAY, and the unicast probe 5 s later makes it REACHABLE again.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ip neigh show 10.0.0.2
sleep 10
ip netns exec a ip neigh show 10.0.0.2
sleep 40
ip netns exec a ip neigh show 10.0.0.2
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ip neigh show 10.0.0.2
sleep 6
ip netns exec a ip neigh show 10.0.0.2
