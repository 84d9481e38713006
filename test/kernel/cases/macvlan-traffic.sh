# Two containers on bridge-mode macvlans of the host's uplink eth0 reach each other and the LAN.
# They cannot reach the host's own address on eth0, nor the host them, because a macvlan hands
# frames to its lower link's wire or to its bridge-mode siblings, never up to the lower link's own
# stack. A macvlan of the host's own reaches them. A vepa macvlan reaches its siblings only through
# a switch that sends frames back, so here it reaches the LAN alone. A macvlan that is down takes
# no frames.
sysctl -w net.ipv4.conf.all.arp_ignore=0
ip netns add ns1
ip netns add ns2
ip netns add lan
ip link add eth0 type veth peer name up0 netns lan
ip -n lan link set up0 up
ip -n lan addr add 192.0.2.1/24 dev up0
ip link set eth0 up; sleep 1.5
ip addr add 192.0.2.10/24 dev eth0
ip link add m1 link eth0 type macvlan mode bridge
ip link add m2 link eth0 type macvlan mode bridge
ip link set m1 netns ns1
ip link set m2 netns ns2
ip -n ns1 addr add 192.0.2.11/24 dev m1
ip -n ns2 addr add 192.0.2.12/24 dev m2
ip -n ns1 link set m1 up
ip -n ns2 link set m2 up
timeout 3 tcpdump -l -n -c 2 -i eth0 icmp >/tmp/cap 2>&1 & echo $! >/tmp/cap.pid; sleep 0.5
ip netns exec ns1 ping -c 1 -W 1 192.0.2.12
tail -s 0.2 --pid=$(cat /tmp/cap.pid) -f /dev/null; cat /tmp/cap
ip netns exec ns1 ping -c 1 -W 1 192.0.2.1
ip netns exec lan ping -c 1 -W 1 192.0.2.12
ip netns exec ns1 ping -c 1 -W 1 192.0.2.10
ping -c 1 -W 1 192.0.2.11
ip -n ns1 neigh show 192.0.2.10
ip -n ns1 neigh show 192.0.2.12
ip neigh show
ip -n lan neigh show 192.0.2.11
ip -n ns1 route get 192.0.2.10
ip link add hm link eth0 type macvlan mode bridge
ip addr add 192.0.2.20/32 dev hm
ip link set hm up
ip route add 192.0.2.11/32 dev hm
ping -c 1 -W 1 192.0.2.11
ip link add m3 link eth0 type macvlan mode vepa
ip netns add ns3
ip link set m3 netns ns3
ip -n ns3 addr add 192.0.2.13/24 dev m3
ip -n ns3 link set m3 up
ip netns exec ns3 ping -c 1 -W 1 192.0.2.12
ip netns exec ns3 ping -c 1 -W 1 192.0.2.1
ip netns exec ns1 ping -c 1 -W 1 192.0.2.13
ip -n ns2 link set m2 down
ip netns exec lan ping -c 1 -W 1 192.0.2.12
ip link set eth0 down
ip -n ns1 link show m1
ip netns exec ns1 ping -c 1 -W 1 192.0.2.1
ip link set eth0 up; sleep 1.5
ip netns del ns1
ip link show
ip link del eth0
ip -n ns3 link show
