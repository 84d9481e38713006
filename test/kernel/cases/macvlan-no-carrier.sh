# Bridge-mode macvlans do not reach each other while their lower link has no carrier: here its
# veth peer is down, and then the lower link itself. A macvlan takes its lower link's carrier,
# and link watch gives a link without carrier the noop qdisc (dev_deactivate), which drops every
# frame before a capture or a sibling receives it. With carrier back they reach each other.
sysctl -w net.ipv4.conf.all.arp_ignore=0
ip netns add c1
ip netns add c2
ip link add eth0 type veth peer name up0
ip link set eth0 up
ip link add m1 link eth0 type macvlan mode bridge
ip link add m2 link eth0 type macvlan mode bridge
ip link set m1 netns c1
ip link set m2 netns c2
ip -n c1 addr add 192.0.2.11/24 dev m1
ip -n c2 addr add 192.0.2.12/24 dev m2
ip -n c1 link set m1 up
ip -n c2 link set m2 up
sleep 1.5
ip -n c1 link show m1
ip link show eth0
ip netns exec c1 ping -c 1 -W 1 192.0.2.12
ip -n c1 route
ip link set eth0 down
ip -n c1 neigh flush all
ip netns exec c1 ping -c 1 -W 1 192.0.2.12
ip -n c1 neigh show
ip link set up0 up
ip link set eth0 up
sleep 1.5
ip netns exec c1 ping -c 1 -W 1 192.0.2.12
