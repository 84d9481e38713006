# Deleting a link's last IPv4 address drops every route through the link (fib_disable_ip), in
# every table, and its neighbour entries. While a second address stays, they all stay.
ip netns add r
ip netns add p
ip -n r link add eth0 type veth peer name eth0 netns p
ip -n p addr add 10.0.0.2/24 dev eth0
ip -n p link set eth0 up
ip -n r addr add 10.0.0.1/24 dev eth0
ip -n r addr add 10.0.9.1/24 dev eth0
ip -n r link set eth0 up
ip -n r route add 172.16.1.0/24 via 10.0.0.2
ip -n r route add 172.16.2.0/24 dev eth0
ip -n r route add 172.16.3.0/24 via 10.0.0.2 table 100
ip -n r neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev eth0
ip netns exec r ping -c 1 -W 1 10.0.0.2 > /dev/null
ip -n r addr del 10.0.9.1/24 dev eth0
ip -n r route show
ip -n r route show table 100
ip -n r neigh show
ip -n r addr del 10.0.0.1/24 dev eth0
ip -n r route show
ip -n r route show table 100
ip -n r route show table local
ip -n r neigh show
ip -n r route get 172.16.1.1
ip -n r addr add 10.0.0.1/24 dev eth0
ip -n r route show
