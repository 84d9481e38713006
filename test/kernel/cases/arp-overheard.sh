# A host updates an existing entry from an ARP request that is not for it ("Update our ARP
# tables" in arp_process). c1's macvlan gets a new MAC and asks for an address nobody has. lan
# overhears the broadcast, and its entry for 192.0.2.11 takes the new MAC as STALE, so its next
# ping reaches c1. Without the update the ping would go to the old MAC and be lost.
ip netns add lan
ip netns add c1
ip link add eth0 type veth peer name up0 netns lan
ip -n lan link set up0 up
ip -n lan addr add 192.0.2.1/24 dev up0
ip link set eth0 up
ip link add m1 link eth0 type macvlan mode bridge
ip link set m1 netns c1
ip -n c1 addr add 192.0.2.11/24 dev m1
ip -n c1 link set m1 up
sleep 1.5
ip netns exec lan ping -c 1 -W 1 192.0.2.11
ip -n lan neigh show
ip -n c1 link set m1 down
ip -n c1 link set m1 address 02:00:00:00:00:11
ip -n c1 link set m1 up
sleep 1.5
ip netns exec c1 ping -c 1 -W 1 192.0.2.99
ip -n lan neigh show
ip netns exec lan ping -c 1 -W 1 192.0.2.11
ip -n lan neigh show
