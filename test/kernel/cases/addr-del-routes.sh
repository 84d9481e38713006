# Removing an address removes the routes derived from it and the main-table routes that use it
# as their source. It keeps a route added by hand with proto kernel and no source, and does not
# bring back a derived route that was deleted by hand.
ip link add v2 type veth peer name p2
ip link set v2 up
ip link set p2 up
ip addr add 198.51.100.1/24 dev v2
ip addr add 198.51.100.129/25 dev v2
ip route add 10.1.0.0/16 dev v2 proto kernel
ip route add 10.2.0.0/16 via 198.51.100.2 src 198.51.100.129
ip route add 10.3.0.0/16 via 198.51.100.2 src 198.51.100.129 proto kernel
ip route add 10.4.0.0/16 via 198.51.100.2 src 198.51.100.129 table 100
ip addr add 198.51.100.7/24 dev v2
ip route show
ip addr del 198.51.100.129/25 dev v2
ip route show
ip route show table 100
ip route get 10.2.0.1
ip route get 10.1.0.1
ip link add v4 type veth peer name p4
ip link set v4 up
ip addr add 203.0.113.1/24 dev v4
ip addr add 192.0.2.1/24 dev v4
ip route del 203.0.113.0/24 dev v4
ip addr del 192.0.2.1/24 dev v4
ip route show dev v4
ip route add 10.9.0.0/16 via 203.0.113.2
ip addr add 203.0.113.129/25 dev v4
ip route flush scope link
ip addr del 203.0.113.129/25 dev v4
ip route show table main
