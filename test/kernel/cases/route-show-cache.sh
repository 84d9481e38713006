# ip route show cache lists the path MTU exception c learned from r, with the gateway and link
# of its route. A prefix filter applies to it, and r, which learned nothing, lists none. The sleep
# keeps the seconds left off a jiffy boundary.
ip netns add c
ip netns add r
ip netns add s
ip link add c0 type veth peer name rc netns r
ip link set c0 netns c
ip -n r link add rs type veth peer name s0 netns s
ip -n c addr add 10.0.1.2/24 dev c0
ip -n r addr add 10.0.1.1/24 dev rc
ip -n r addr add 10.0.2.1/24 dev rs
ip -n s addr add 10.0.2.2/24 dev s0
ip -n c link set c0 up
ip -n r link set rc up
ip -n r link set rs up
ip -n s link set s0 up
ip -n c route add default via 10.0.1.1
ip -n s route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip -n r link set rs mtu 1400
ip -n s link set s0 mtu 1400
ip netns exec c ping -c 1 -W 1 -s 1472 10.0.2.2
ip netns exec c ping -c 1 -W 1 -s 1472 10.0.2.2
sleep 0.5; ip -n c route show cache
ip -n c route list cache 10.0.2.2
ip -n c route show table cache
ip -n c route show cache 10.0.9.9
ip -n r route show cache
