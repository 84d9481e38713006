# An ARP request for one of our addresses updates the entry of its sender (neigh_event_ns, which
# calls neigh_update with NUD_STALE and NEIGH_UPDATE_F_OVERRIDE). With arp_ignore=1 only the
# macvlan m3 replies for its address 192.0.2.13, so lan resolves it to m3's MAC. The echo reply
# from 192.0.2.13 leaves by eth0, whose route comes first, and eth0 asks for 192.0.2.1 from
# 192.0.2.13 with its own MAC. lan's entry takes eth0's MAC and turns STALE, so the next ping
# arrives on eth0.
ip netns add lan
ip link add eth0 type veth peer name up0 netns lan
ip -n lan link set up0 up
ip -n lan addr add 192.0.2.1/24 dev up0
ip link set eth0 up
ip addr add 192.0.2.10/24 dev eth0
ip link add m3 link eth0 type macvlan mode bridge
ip addr add 192.0.2.13/24 dev m3
ip link set m3 up
sleep 1.5
sysctl -w net.ipv4.conf.all.arp_ignore=1
iptables -A INPUT -i eth0 -p icmp
iptables -A INPUT -i m3 -p icmp
ip netns exec lan ping -c 1 -W 1 192.0.2.13
ip -n lan neigh show
ip netns exec lan ping -c 1 -W 1 192.0.2.13
iptables -L INPUT -n -v
