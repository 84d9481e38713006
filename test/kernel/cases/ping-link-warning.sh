# ping -I LINK warns "source address might be selected on device other than: LINK" when the
# source that its probe socket's connect() chose is not an address of LINK (iputils ping4_run
# compares it with LINK's addresses). The macvlan m1 has no address, so the source comes from
# eth0, and lo carries 127.0.0.1 but not eth0's address. ping -I m1 still leaves by m1.
ip netns add lan
ip link add eth0 type veth peer name up0 netns lan
ip -n lan link set up0 up
ip -n lan addr add 192.0.2.1/24 dev up0
ip link set eth0 up
ip link set lo up
ip addr add 192.0.2.10/24 dev eth0
ip link add m1 link eth0 type macvlan mode bridge
ip link set m1 up
sleep 1.5
ping -c 1 -W 1 -I m1 192.0.2.1
ip neigh show dev m1
ping -c 1 -W 1 -I eth0 192.0.2.1
ping -c 1 -W 1 -I lo 127.0.0.1
ping -c 1 -W 1 -I lo 192.0.2.10
