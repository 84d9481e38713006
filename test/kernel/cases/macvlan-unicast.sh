# A bridge-mode macvlan sends a unicast frame for a MAC outside its siblings out through its lower
# link only. So a capture on a sibling macvlan shows none of a ping to the LAN router, while a
# broadcast (the ARP request) reaches the siblings too.
sysctl -qw net.ipv4.conf.all.arp_ignore=0
ip netns add lan
ip link add eth0 type veth peer name lan0 netns lan
ip -n lan addr add 192.0.2.1/24 dev lan0
ip -n lan link set lan0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip netns add web
ip netns add db
ip link add mv-web link eth0 type macvlan mode bridge
ip link add mv-db link eth0 type macvlan mode bridge
ip link set mv-web netns web
ip link set mv-db netns db
ip -n web addr add 192.0.2.21/24 dev mv-web
ip -n db addr add 192.0.2.22/24 dev mv-db
ip -n web link set mv-web up
ip -n db link set mv-db up
sleep 1.5
ip netns exec web ping -c 1 -W 1 192.0.2.1
ip netns exec db timeout 4 tcpdump -l -n -c 2 -i mv-db icmp >/tmp/db-cap.txt 2>&1 & sleep 1
ip netns exec web ping -c 2 -W 1 192.0.2.1
sleep 2.5; cat /tmp/db-cap.txt
