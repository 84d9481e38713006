# Where a new primary address goes in a link's list: after the last primary of the same or a
# narrower scope, else first. A promoted secondary moves after the last such primary. A route
# through the link without a gateway takes the first primary of a fitting scope as source.
ip link add v0 type veth peer name p0
ip link set v0 up
ip link set p0 up
ip addr add 192.0.2.1/24 dev v0
ip addr add 198.51.100.1/24 dev v0 scope link
ip addr add 203.0.113.1/24 dev v0 scope host
ip addr add 172.16.0.1/24 dev v0 scope link
ip addr add 172.17.0.1/24 dev v0
ip -br addr show dev v0
ip route add 10.1.0.0/16 dev v0
ip route get 10.1.0.1
ip link add v1 type veth peer name p1
sysctl -w net.ipv4.conf.v1.promote_secondaries=1
ip addr add 192.0.2.1/24 dev v1
ip addr add 198.51.100.1/24 dev v1
ip addr add 198.51.100.2/24 dev v1
ip addr add 192.0.2.2/24 dev v1
ip addr del 192.0.2.1/24 dev v1
ip -br addr show dev v1
ip addr add 10.9.0.1/24 dev v1 scope link
ip addr add 10.9.0.2/24 dev v1 scope link
ip addr del 10.9.0.1/24 dev v1
ip -br addr show dev v1
