# A used STALE entry turns DELAY, then PROBE after 5 s, which asks the MAC it has by unicast
# ARP: with the right MAC the answer makes it REACHABLE, with a wrong one it turns FAILED after
# three unanswered probes 1 s apart.
# Recorded with /etc/resolv.conf bound to /dev/null, as src/host/sandbox.ts runs cases.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec b ip link set vb address 02:00:00:00:00:bb
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec a ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:bb dev va nud stale
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ip neigh show 10.0.0.2
sleep 4.5
ip netns exec a ip neigh show 10.0.0.2
sleep 1
ip netns exec a ip neigh show 10.0.0.2
ip netns exec a ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:99 dev va nud stale
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ip neigh show 10.0.0.2
sleep 4.5
ip netns exec a ip neigh show 10.0.0.2
sleep 1
ip netns exec a ip neigh show 10.0.0.2
sleep 3
ip netns exec a ip neigh show 10.0.0.2
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ip neigh show 10.0.0.2
