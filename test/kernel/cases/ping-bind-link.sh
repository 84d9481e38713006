# ping -I LINK binds its ICMP socket to LINK as well as its probe socket (iputils ping4_run).
# Every echo request leaves by LINK, even where another link's route comes first. The socket
# only takes replies and errors that arrive on LINK, so the host unreachable that the namespace
# sends itself over lo is not printed. ping -I LINK to LINK's own address unbinds the socket.
ip netns add lan
ip netns add c
ip link add eth0 type veth peer name up0 netns lan
ip -n lan link set up0 up
ip -n lan addr add 192.0.2.1/24 dev up0
ip link set eth0 up
ip link add m1 link eth0 type macvlan mode bridge
ip link add m2 link eth0 type macvlan mode bridge
ip link set m1 netns c
ip link set m2 netns c
ip -n c link set lo up
ip -n c addr add 192.0.2.11/24 dev m1
ip -n c addr add 192.0.2.12/24 dev m2
ip -n c link set m1 up
ip -n c link set m2 up
sleep 1.5
ip netns exec c iptables -A OUTPUT -o m1 -p icmp
ip netns exec c iptables -A OUTPUT -o m2 -p icmp
ip netns exec c ping -c 1 -W 1 -I m2 192.0.2.1
ip netns exec c iptables -L OUTPUT -n -v
ip -n c neigh show dev m2
ip netns exec c ping -c 1 -W 1 -I m2 192.0.2.12
ip netns exec c ping -c 1 -W 4 -I m2 192.0.2.99
ip netns exec c ping -c 1 -W 4 192.0.2.99
ip -n lan addr add 192.0.2.13/24 dev up0
ip -n lan route add 198.51.100.0/24 via 192.0.2.13
ip -n lan neigh add 192.0.2.13 lladdr 02:00:00:00:00:13 dev up0
ip netns exec c ping -c 1 -W 1 -I m2 198.51.100.7
ip netns exec c iptables -L OUTPUT -n -v
