# Without a preferred source, a gateway route takes the link's primary address whose subnet
# contains the gateway, not the first address of the link.
ip link add v0 type veth peer name p0
ip link set v0 up
ip link set p0 up
ip addr add 192.0.2.129/25 dev v0
ip addr add 192.0.2.1/24 dev v0
ip route add 10.0.0.0/8 via 192.0.2.3
ip route add 10.1.0.0/16 via 192.0.2.130
ip route add 10.2.0.0/16 dev v0
ip route get 10.0.2.3
ip route get 10.1.2.3
ip route get 10.2.2.3
ip route show dev v0
ip -4 route show dev v0 table all
