# ping 0.0.0.0 goes to 127.0.0.1, or to the bound source, on lo. connect() fails with
# ENETUNREACH only while that source is not a local address: lo never up has no 127.0.0.1,
# but lo up then down keeps it, so the probe is sent and lost on lo.
ip netns add a
ip netns add b
ip netns exec a ping -c 1 -W 1 0.0.0.0
ip netns exec a ip link add eth0 type veth peer name eth0 netns b
ip netns exec a ip addr add 10.0.0.1/24 dev eth0
ip netns exec a ip link set eth0 up
ip netns exec b ip link set eth0 up
ip netns exec a ping -c 1 -W 1 0.0.0.0
ip netns exec a ping -c 1 -W 1 0
ip netns exec a ping -c 1 -W 1 -I 10.0.0.1 0.0.0.0
ip netns exec a ip route get 0.0.0.0
ip netns exec a ip link set lo up
ip netns exec a ip link set lo down
ip netns exec a ping -c 1 -W 1 0.0.0.0
ip netns exec a ping -c 1 -W 1 -I 10.0.0.1 0.0.0.0
ip netns exec a ping -c 1 -W 1 127.0.0.1
ip netns exec a ip route get 0.0.0.0
