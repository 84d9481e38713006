# Two ARP replies with different MACs for one address: the first one wins. With arp_ignore=0,
# the host replies for the address of its macvlan m3 on eth0 as well as on m3. eth0's own stack
# replies at once, and m3 replies later, because a macvlan takes broadcasts from a work queue.
# arp_process ignores a reply with another MAC within locktime (1 s) of the entry's last change,
# so lan keeps eth0's MAC and its pings to 192.0.2.13 arrive on eth0, not on m3.
sysctl -w net.ipv4.conf.all.arp_ignore=0
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
iptables -A INPUT -i eth0 -p icmp
iptables -A INPUT -i m3 -p icmp
ip netns exec lan ping -c 1 -W 1 192.0.2.13
ip netns exec lan ping -c 1 -W 1 192.0.2.13
iptables -L INPUT -n -v
ip -n lan neigh show
ip -n lan neigh del 192.0.2.13 dev up0
sleep 1.5
ip netns exec lan ping -c 1 -W 1 192.0.2.13
iptables -L INPUT -n -v
