# ip route show table all lists tables by hash bucket, the id's low 8 bits: 300 (44) before 100.
ip netns add r
ip netns add p
ip -n r link add eth0 type veth peer name eth0 netns p
ip -n r addr add 192.168.0.1/24 dev eth0
ip -n r link set eth0 up
ip -n r route add 10.1.0.0/24 dev eth0 table 100
ip -n r route add 10.2.0.0/24 dev eth0 table 300
ip -n r route add 10.3.0.0/24 dev eth0 table 1000
ip -n r route add 10.4.0.0/24 dev eth0 table 70000
ip -n r route add 10.5.0.0/24 dev eth0 table 1
ip -n r -4 route show table all
ip -n r route flush table all
ip -n r -4 route show table all
