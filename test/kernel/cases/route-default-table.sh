# The default table is looked up after main, and only a throw in main reaches it; blackhole,
# unreachable and prohibit end the lookup. Routes found there print "table default".
ip link set lo up
ip link add eth0 type veth peer name eth1
ip link set eth0 up
ip link set eth1 up
ip addr add 10.0.0.1/24 dev eth0
ip route add default via 10.0.0.2 table default
ip route show table default
ip route get 10.60.0.1
ip route add blackhole 10.50.0.0/16
ip route get 10.50.0.1
ip route add unreachable 10.51.0.0/16
ip route get 10.51.0.1
ip route add throw 10.52.0.0/16
ip route get 10.52.0.1
ip route add prohibit 10.53.0.0/16
ip route get 10.53.0.1
