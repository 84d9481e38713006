# ip route get ... tos prints the TOS of the route that matched, and none for a route without one.
ip netns add r
ip netns add p
ip -n r link add eth0 type veth peer name eth0 netns p
ip -n r addr add 192.168.0.1/24 dev eth0
ip -n r link set eth0 up
ip -n r route add 10.1.0.0/24 tos 0x10 dev eth0
ip -n r route add 10.2.0.0/24 via 192.168.0.2
ip -n r route get 10.1.0.9 tos 0x10
ip -n r route get 10.2.0.9 tos 0x10
ip -n r route get 10.1.0.9 from 192.168.0.1 tos 0x10
ip -n r route get 10.1.0.9
ip -n r route get fibmatch 10.1.0.9 tos 0x10
