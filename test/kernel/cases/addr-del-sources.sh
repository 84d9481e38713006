# Which routes go with a deleted address. Main-table routes that use it as their source go, also
# when it goes with its primary or with its link, unless a local route still covers it. Derived
# routes go unless another address derives them, even one with the same local address.
ip netns add u
ip link add v0 type veth peer name p0 netns u
ip link set v0 up
ip netns exec u ip link set p0 up
ip netns exec u ip addr add 198.51.100.9/24 dev p0
ip netns exec u ip addr add 10.2.0.1/32 dev p0
sysctl -w net.ipv4.conf.v0.promote_secondaries=0
ip addr add 198.51.100.1/24 dev v0
ip addr add 192.0.2.1/24 dev v0
ip addr add 192.0.2.2/24 dev v0
ip route add 10.2.0.0/16 via 198.51.100.9 src 192.0.2.2
ip addr del 192.0.2.1/24 dev v0
ip route show
ip route get 10.2.0.1
ping -c 1 -W 1 10.2.0.1
ip addr add 203.0.113.1/24 dev v0
ip route add local 203.0.113.0/24 dev lo
ip route add 10.1.0.0/16 via 198.51.100.9 src 203.0.113.1
ip addr del 203.0.113.1/24 dev v0
ip route show
ip route get 10.1.0.1
ip link add v1 type veth peer name p1
ip link add v2 type veth peer name p2
ip addr add 192.0.2.1/24 dev v1
ip addr add 192.0.2.1/25 dev v1
ip addr add 192.0.2.3/24 dev v1 broadcast 192.0.2.63
ip addr del 192.0.2.1/25 dev v1
ip addr del 192.0.2.3/24 dev v1
ip route show table local dev v1
ip addr add 172.16.0.1/24 dev v2
ip route add 10.3.0.0/16 via 198.51.100.9 src 172.16.0.1
ip route add 10.4.0.0/16 dev v0 proto kernel src 172.16.0.1 table 100
ip link del v2
ip route show
ip route show table 100
