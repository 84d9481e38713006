# bridge -d link show adds a line of port flags under each port (iproute2 6.1 print_protinfo):
# a new port has learning, flood, mcast_flood and bcast_flood on, mcast_router 1 and the other
# flags off, and "bridge link set dev PORT hairpin on" turns hairpin on. -d abbreviates
# -details, and -s (statistics) adds nothing to bridge link show. v1 and v2 are ports of br0,
# v2p is not a port.
ip netns add c
ip link add br0 type bridge
ip link add v1 type veth peer name p1 netns c
ip link add v2 type veth peer name v2p
ip link set v1 master br0
ip link set v2 master br0
bridge -d link show
ip link set br0 up
ip link set v1 up
ip netns exec c ip link set p1 up
bridge link set dev v1 hairpin on
bridge -d link show
bridge -d link show dev v1
bridge -d link
bridge -d link show dev v2p
bridge -d -s link show
bridge -s link show
bridge -details link show dev v2
bridge -de link show dev v2
