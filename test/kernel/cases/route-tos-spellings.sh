# The spellings of a TOS keyword, and the error texts of a bad value in each command.
ip link add v0 type veth peer name p0
ip link set v0 up
ip link set p0 up
ip addr add 192.0.2.1/24 dev v0
ip route add 10.1.0.0/24 via 192.0.2.2 ds 0x18
ip route show ds 0x18
ip route show dsfield 0x18
ip route get 10.1.0.1 dsf 0x18
ip route show tos bogus
ip route flush tos 0x1ff
ip route get 10.1.0.1 tos 0x1ff
ip rule add tos 0x04 lookup 100
ip rule show dsfield 0x04
ip rule show tos bogus
ip route flush tos 0x18
ip route show
