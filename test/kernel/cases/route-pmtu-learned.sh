# Path MTU learned through a router behind a macvlan whose inner link has an MTU of 1400. The
# router's "fragmentation needed" teaches lan the path MTU for 10.9.0.2 (__ip_rt_update_pmtu).
# ip route get shows it with the seconds it has left, and ping -M do then fails locally with
# EMSGSIZE. ping's default (IP_PMTUDISC_WANT) sends a larger probe without DF, so the router
# forwards it and the reply comes back.
sysctl -w net.ipv4.conf.all.arp_ignore=0
ip netns add lan
ip netns add r
ip netns add web
ip link add eth0 type veth peer name up0 netns lan
ip -n lan link set up0 up
ip -n lan addr add 192.0.2.1/24 dev up0
ip -n lan route add 10.9.0.0/24 via 192.0.2.40
ip link set eth0 up
ip link add m1 link eth0 type macvlan mode bridge
ip link set m1 netns r
ip -n r addr add 192.0.2.40/24 dev m1
ip -n r link set m1 up
ip link add rin type veth peer name wout netns web
ip link set rin netns r
ip -n r link set rin mtu 1400
ip -n web link set wout mtu 1400
ip -n r addr add 10.9.0.1/24 dev rin
ip -n r link set rin up
ip -n web addr add 10.9.0.2/24 dev wout
ip -n web link set wout up
ip -n web route add default via 10.9.0.1
ip netns exec r sysctl -w net.ipv4.ip_forward=1
sleep 1.5
ip netns exec lan ping -c 1 -W 1 -s 1450 -M do 10.9.0.2
sleep 0.5; ip -n lan route get 10.9.0.2
ip netns exec lan ping -c 1 -W 1 -s 1450 -M do 10.9.0.2
ip netns exec lan ping -c 1 -W 1 -s 1372 -M do 10.9.0.2
ip netns exec lan ping -c 1 -W 1 -s 1450 10.9.0.2
