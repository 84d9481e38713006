# Static neighbour entries: ip neigh add/replace/change/del, their states, errors, and a ping
# that follows a permanent entry with the wrong MAC (the peer discards the frame: not its MAC).
# Recorded with /etc/resolv.conf bound to /dev/null, as src/host/sandbox.ts runs cases.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec a ip link set lo up
ip netns exec b ip link set lo up
ip netns exec a ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev va
ip netns exec a ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev va
ip netns exec a ip neigh show
ip netns exec a ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev va nud reachable
ip netns exec a ip neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev va nud stale
ip netns exec a ip neigh add 10.0.0.6 dev va nud noarp
ip netns exec a ip neigh show 10.0.0.8 dev va
ip netns exec a ip neigh show 10.0.0.7
ip netns exec a ip neigh show 10.0.0.6
ip netns exec a ip neigh replace 10.0.0.9 lladdr 02:00:00:00:00:0a dev va
ip netns exec a ip neigh change 10.0.0.5 lladdr 02:00:00:00:00:05 dev va
ip netns exec a ip neigh change 10.0.0.8 lladdr 02:00:00:00:00:18 dev va
ip netns exec a ip neigh replace 10.0.0.4 lladdr 02:00:00:00:00:04 dev va nud permanent
ip netns exec a ip neigh show 10.0.0.4
ip netns exec a ip neigh show 10.0.0.8 nud permanent
ip netns exec a ip neigh show 10.0.0.7 nud permanent
ip netns exec a ip neigh show 10.0.0.9 dev va nud permanent
ip netns exec a ip neigh del 10.0.0.9 dev va
ip netns exec a ip neigh del 10.0.0.9 dev va
ip netns exec a ip neigh add 10.0.0.3 dev va
ip netns exec a ip neigh add 10.0.0.3 lladdr 02:00:00:00:00:03
ip netns exec a ip neigh add 10.0.0.3 lladdr zz dev va
ip netns exec a ip neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev nosuch
ip netns exec a ip neigh flush dev va
ip netns exec a ip neigh show 10.0.0.7
ip netns exec a ip neigh show 10.0.0.8
ip netns exec a ip neigh del 10.0.0.8 dev va
ip netns exec a ip neigh del 10.0.0.4 dev va
ip netns exec a ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev va nud noarp
ip netns exec a ip neigh show
ip netns exec a ip neigh flush dev va
ip netns exec a ip neigh show
ip netns exec a ip neigh flush nud noarp
ip netns exec a ip neigh show
ip netns exec a ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev va
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ip neigh show 10.0.0.2
ip netns exec a ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 dev va nud stale
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ip neigh show 10.0.0.2
ip netns exec a ip neigh del 10.0.0.2 dev va
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ip neigh show 10.0.0.2
ip netns exec a ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev va
ip netns exec a ip neigh flush all
ip netns exec a ip neigh show
ip netns exec a ip neigh get 10.0.0.2 dev va
ip netns exec a ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev va nud bogus
ip netns exec a ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev va proxy
