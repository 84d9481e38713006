# The usual fix for a host that cannot reach its macvlan containers: a bridge-mode macvlan of the
# host's own on the same link, with the host's address as a /32 and a route to the container
# through it. hoptrace check --suggest offers exactly these commands. The container then reaches
# the host's address too, once its failed ARP entry for it has run out (sleep 3).
ip netns add c
ip netns add lan
ip link add eth0 type veth peer name up0 netns lan
ip -n lan addr add 192.0.2.1/24 dev up0
ip -n lan link set up0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link add m1 link eth0 type macvlan mode bridge
ip link set m1 netns c
ip -n c addr add 192.0.2.11/24 dev m1
ip -n c link set m1 up
ip netns exec c ping -c 1 -W 1 192.0.2.10
sleep 3
ip link add shim0 link eth0 type macvlan mode bridge
ip addr add 192.0.2.10/32 dev shim0
ip link set shim0 up
ip route add 192.0.2.11/32 dev shim0
ip netns exec c ping -c 1 -W 1 192.0.2.10
ping -c 1 -W 1 192.0.2.11
