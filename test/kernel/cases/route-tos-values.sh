# TOS values of routes and rules: iproute2 reads them as hex or as rt_dsfield names, and the
# kernel rejects a value with ECN bits set.
ip link add v0 type veth peer name p0
ip link set v0 up
ip link set p0 up
ip addr add 192.0.2.1/24 dev v0
ip route add 10.0.0.0/24 via 192.0.2.2 tos 10
ip route add 10.0.0.0/24 via 192.0.2.2 tos 0x1
ip route add 10.0.0.0/24 via 192.0.2.2 tos 0x3
ip route add 10.0.0.0/24 via 192.0.2.2 tos 1f
ip route add 10.0.0.0/24 via 192.0.2.2 tos 0x100
ip route add 10.0.0.0/24 via 192.0.2.2 tos -1
ip route add 10.0.0.0/24 via 192.0.2.2 tos 0x
ip route add 10.0.0.0/24 via 192.0.2.3 tos lowdelay
ip route add 10.0.0.0/24 via 192.0.2.4 tos AF11
ip route add 10.0.0.0/24 via 192.0.2.5 tos 0X2c
ip route add 10.0.0.0/24 via 192.0.2.6 dsfield EF
ip route add 10.0.0.0/24 via 192.0.2.7 tos af11
ip route show
ip route show tos AF11
ip route get 10.0.0.1 tos 10
ip route get 10.0.0.1 tos 0x10
ip route get 10.0.0.1 tos AF11
ip route get 10.0.0.1 tos 0x3
ip route get 10.0.0.1 tos bogus
ip route del 10.0.0.0/24 tos 0x1
ip route del 10.0.0.0/24 tos 10
ip route del 10.0.0.0/24 tos 0x28
ip route show
ip rule add tos 10 lookup 100
ip rule add tos AF12 lookup 101
ip rule add tos 0x3 lookup 102
ip rule add tos bogus lookup 103
ip rule show
ip rule del tos 0x30 lookup 101
ip rule show
