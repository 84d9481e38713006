# arp_ignore=2 replies only when the target is on the receiving link and the sender is in that
# address's subnet. The subnets here are above 128.0.0.0, where the first bit of the address is
# set: 192.0.2.0/24 and 198.51.100.0/24 on one macvlan.
ip netns add lan
ip netns add c1
ip link add eth0 type veth peer name up0 netns lan
ip -n lan link set up0 up
ip -n lan addr add 192.0.2.1/24 dev up0
ip -n lan addr add 203.0.113.1/24 dev up0
ip -n lan route add 198.51.100.0/24 dev up0
ip link set eth0 up
ip link add m1 link eth0 type macvlan mode bridge
ip link set m1 netns c1
ip -n c1 addr add 192.0.2.11/24 dev m1
ip -n c1 addr add 198.51.100.11/24 dev m1
ip -n c1 route add 203.0.113.0/24 dev m1
ip -n c1 link set m1 up
sleep 1.5
ip netns exec c1 sysctl -w net.ipv4.conf.all.arp_ignore=2
ip netns exec lan ping -c 1 -W 1 192.0.2.11
ip netns exec lan ping -c 1 -W 1 -I 203.0.113.1 198.51.100.11
ip netns exec lan ping -c 1 -W 1 -I 192.0.2.1 198.51.100.11
ip -n lan neigh show
