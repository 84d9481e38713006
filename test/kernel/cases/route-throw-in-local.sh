# While local and main are merged, a throw route in table local ends the whole main lookup, so
# the default route in main is not reached; after the first ip rule the tables split and it is.
ip link set lo up
ip link add eth0 type veth peer name eth1
ip link set eth0 up
ip link set eth1 up
ip addr add 100.64.0.2/30 dev eth0
ip route add default via 100.64.0.1
ip route add local 0.0.0.0/0 dev lo table local
ip route add throw 10.0.0.0/8 table local
ip route get 10.1.2.3
ip route get 198.51.100.1
ip rule add to 192.0.2.0/24 table 100
ip route get 10.1.2.3
