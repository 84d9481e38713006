# vepa macvlans reach each other only through a switch that sends their frames back. Here the
# switch is a bridge whose port p0 is in hairpin mode ("bridge link set dev p0 hairpin on"), which
# should_deliver in net/bridge/br_forward.c needs to send a frame back out of its ingress port.
# private macvlans still do not reach each other, because a macvlan hands a frame sent by a
# private sibling back to that sibling alone. A port that leaves its bridge loses hairpin mode.
# The case ends with the errors of bridge link set.
sysctl -w net.ipv4.conf.all.arp_ignore=0
ip netns add lan
ip netns add v1
ip netns add v2
ip netns add p1
ip netns add p2
ip -n lan link add sw type bridge
ip -n lan link set sw up
ip link add eth0 type veth peer name p0 netns lan
ip -n lan link set p0 master sw
ip -n lan link set p0 up
ip link set eth0 up
ip link add mv1 link eth0 type macvlan mode vepa
ip link add mv2 link eth0 type macvlan
ip link add mp1 link eth0 type macvlan mode private
ip link add mp2 link eth0 type macvlan mode private
ip link set mv1 netns v1
ip link set mv2 netns v2
ip link set mp1 netns p1
ip link set mp2 netns p2
ip -n v1 addr add 192.0.2.61/24 dev mv1
ip -n v2 addr add 192.0.2.62/24 dev mv2
ip -n p1 addr add 192.0.2.71/24 dev mp1
ip -n p2 addr add 192.0.2.72/24 dev mp2
ip -n v1 link set mv1 up
ip -n v2 link set mv2 up
ip -n p1 link set mp1 up
ip -n p2 link set mp2 up
sleep 1.5
ip netns exec v1 ping -c 1 -W 1 192.0.2.62
ip netns exec p1 ping -c 1 -W 1 192.0.2.72
sleep 3
ip netns exec lan bridge link set dev p0 hairpin on
ip netns exec lan bridge link show
ip netns exec v1 ping -c 1 -W 1 192.0.2.62
ip netns exec p1 ping -c 1 -W 1 192.0.2.72
ip netns exec p1 ping -c 1 -W 1 192.0.2.62
ip -n lan link set p0 nomaster
ip -n lan link set p0 master sw
ip -n lan link set p0 up
sleep 1.5
ip -n v1 neigh flush dev mv1
ip netns exec v1 ping -c 1 -W 1 192.0.2.62
ip netns exec lan bridge link set dev p0 hairpin maybe
ip netns exec lan bridge link set dev p0 hairpin
ip netns exec lan bridge link set dev nosuch hairpin on
ip netns exec lan bridge link set dev sw hairpin on
ip netns exec lan bridge link set p0 hairpin on
ip netns exec lan bridge link set hairpin on
ip netns exec lan bridge link set dev p0 hairpin on hairpin off
ip netns exec v1 ping -c 1 -W 1 192.0.2.62
