# ip route flush on a table of 64 routes (63 added and the link route) empties it, as on Linux.
ip netns add r
ip netns add p
ip -n r link add eth0 type veth peer name eth0 netns p
ip -n r addr add 192.168.0.1/24 dev eth0
ip -n r link set eth0 up
ip -n r route add 10.0.0.0/24 via 192.168.0.2
ip -n r route add 10.0.1.0/24 via 192.168.0.2
ip -n r route add 10.0.2.0/24 via 192.168.0.2
ip -n r route add 10.0.3.0/24 via 192.168.0.2
ip -n r route add 10.0.4.0/24 via 192.168.0.2
ip -n r route add 10.0.5.0/24 via 192.168.0.2
ip -n r route add 10.0.6.0/24 via 192.168.0.2
ip -n r route add 10.0.7.0/24 via 192.168.0.2
ip -n r route add 10.0.8.0/24 via 192.168.0.2
ip -n r route add 10.0.9.0/24 via 192.168.0.2
ip -n r route add 10.0.10.0/24 via 192.168.0.2
ip -n r route add 10.0.11.0/24 via 192.168.0.2
ip -n r route add 10.0.12.0/24 via 192.168.0.2
ip -n r route add 10.0.13.0/24 via 192.168.0.2
ip -n r route add 10.0.14.0/24 via 192.168.0.2
ip -n r route add 10.0.15.0/24 via 192.168.0.2
ip -n r route add 10.0.16.0/24 via 192.168.0.2
ip -n r route add 10.0.17.0/24 via 192.168.0.2
ip -n r route add 10.0.18.0/24 via 192.168.0.2
ip -n r route add 10.0.19.0/24 via 192.168.0.2
ip -n r route add 10.0.20.0/24 via 192.168.0.2
ip -n r route add 10.0.21.0/24 via 192.168.0.2
ip -n r route add 10.0.22.0/24 via 192.168.0.2
ip -n r route add 10.0.23.0/24 via 192.168.0.2
ip -n r route add 10.0.24.0/24 via 192.168.0.2
ip -n r route add 10.0.25.0/24 via 192.168.0.2
ip -n r route add 10.0.26.0/24 via 192.168.0.2
ip -n r route add 10.0.27.0/24 via 192.168.0.2
ip -n r route add 10.0.28.0/24 via 192.168.0.2
ip -n r route add 10.0.29.0/24 via 192.168.0.2
ip -n r route add 10.0.30.0/24 via 192.168.0.2
ip -n r route add 10.0.31.0/24 via 192.168.0.2
ip -n r route add 10.0.32.0/24 via 192.168.0.2
ip -n r route add 10.0.33.0/24 via 192.168.0.2
ip -n r route add 10.0.34.0/24 via 192.168.0.2
ip -n r route add 10.0.35.0/24 via 192.168.0.2
ip -n r route add 10.0.36.0/24 via 192.168.0.2
ip -n r route add 10.0.37.0/24 via 192.168.0.2
ip -n r route add 10.0.38.0/24 via 192.168.0.2
ip -n r route add 10.0.39.0/24 via 192.168.0.2
ip -n r route add 10.0.40.0/24 via 192.168.0.2
ip -n r route add 10.0.41.0/24 via 192.168.0.2
ip -n r route add 10.0.42.0/24 via 192.168.0.2
ip -n r route add 10.0.43.0/24 via 192.168.0.2
ip -n r route add 10.0.44.0/24 via 192.168.0.2
ip -n r route add 10.0.45.0/24 via 192.168.0.2
ip -n r route add 10.0.46.0/24 via 192.168.0.2
ip -n r route add 10.0.47.0/24 via 192.168.0.2
ip -n r route add 10.0.48.0/24 via 192.168.0.2
ip -n r route add 10.0.49.0/24 via 192.168.0.2
ip -n r route add 10.0.50.0/24 via 192.168.0.2
ip -n r route add 10.0.51.0/24 via 192.168.0.2
ip -n r route add 10.0.52.0/24 via 192.168.0.2
ip -n r route add 10.0.53.0/24 via 192.168.0.2
ip -n r route add 10.0.54.0/24 via 192.168.0.2
ip -n r route add 10.0.55.0/24 via 192.168.0.2
ip -n r route add 10.0.56.0/24 via 192.168.0.2
ip -n r route add 10.0.57.0/24 via 192.168.0.2
ip -n r route add 10.0.58.0/24 via 192.168.0.2
ip -n r route add 10.0.59.0/24 via 192.168.0.2
ip -n r route add 10.0.60.0/24 via 192.168.0.2
ip -n r route add 10.0.61.0/24 via 192.168.0.2
ip -n r route add 10.0.62.0/24 via 192.168.0.2
ip -n r route flush table main
ip -n r route show
ip -n r route get 10.0.1.1
