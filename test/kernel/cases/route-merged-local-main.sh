# Local and main share one trie while no rule was added: a local route is reported as found in
# main (no "table local"), and for one prefix the local route comes first.
ip link set lo up
ip link add eth0 type veth peer name eth1
ip link set eth0 up
ip link set eth1 up
ip addr add 10.0.0.1/24 dev eth0
ip route add 127.0.0.5/32 via 10.0.0.2
ip route get 127.0.0.5
ip route add default via 10.0.0.2 table default
ip route get 127.0.0.5
ip route add 10.9.0.0/16 via 10.0.0.2 table 100
ip route get 127.0.0.5
ip route get 10.0.0.1
ip route get 10.0.0.255
ip route add 10.0.0.255/32 via 10.0.0.2
ip route get 10.0.0.255
ip route add blackhole 10.50.0.0/16
ip route add throw 10.50.1.0/24 table default
ip route get 10.50.1.1
