# A bridge's MAC, carrier and multicast (FDB "self") entries through port and bridge
# cycles: the MAC follows the lowest port and turns 00:00:00:00:00:00 when the last port
# leaves, unless it was set by hand; setting it or changing the id selects port states again,
# which drops the carrier while no port forwards. Recorded for hoptrace's bridge model.
ip link add br0 type bridge
bridge fdb show dev br0
ip link set br0 up
bridge fdb show dev br0
ip link show br0
ip netns add n1
ip link add p1 type veth peer name e1 netns n1
bridge fdb show dev p1
ip link set p1 up
bridge fdb show dev p1
ip -n n1 link set e1 up
bridge fdb show dev p1
ip link set p1 down
bridge fdb show dev p1
ip link set p1 up
bridge fdb show dev p1
# With the far end down no frame arrives, so nothing is learned.
ip -n n1 link set e1 down
ip link set p1 master br0
ip link show br0
bridge fdb show br br0
bridge link show
ip link set p1 nomaster
ip link show br0
bridge fdb show dev br0
ip link set br0 down
bridge fdb show dev br0
ip link set br0 up
bridge fdb show dev br0
ip link show br0
ip link add br1 type bridge
ip link set br1 address 02:00:00:00:00:10
ip link set br1 up
ip link show br1
bridge fdb show dev br1
ip link add br2 type bridge
ip link set br2 up
ip link add p2 type veth peer name e2
ip link set p2 master br2
ip link show br2
ip link add p3 type veth peer name e3
ip link set p3 address fe:ff:ff:ff:ff:fe
ip link set p3 master br2
ip link show br2
ip link set dev p2 address 02:00:00:00:00:01
ip link show br2
bridge fdb show br br2
bridge link show
