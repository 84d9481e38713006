# ip addr flush on an up link that has no carrier yet, so no IPv6 link-local address.
ip link add p0 type veth peer name p1
ip link set p0 up
ip addr add 10.0.5.1/24 dev p0
ip addr flush dev p0
ip link set p1 up
sleep 3
ip addr show p0
