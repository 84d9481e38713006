# Protocol, scope and type names in ip route: every name of iproute2's rt_protos table is read
# and printed, and an unknown name in a show or flush filter is an error that changes nothing
# (it is not read as "no filter").
ip link add v type veth peer name w
ip link set v up
ip addr add 10.0.0.1/24 dev v
ip route add default via 10.0.0.2
ip route add 172.16.0.0/12 dev v proto 42
ip route add 172.17.0.0/16 dev v proto static
ip route add 172.18.0.0/16 dev v proto 99
ip route add 172.19.0.0/16 dev v proto keepalived
ip route add 172.20.0.0/16 dev v proto eigrp
ip route add 172.21.0.0/16 dev v proto dnrouted
ip route add 172.22.0.0/16 dev v proto xorp
ip route add 172.23.0.0/16 dev v proto ntk
ip route add 172.24.0.0/16 dev v proto 0x11
ip route add 172.25.0.0/16 dev v proto 250
ip route add 172.26.0.0/16 dev v proto nonsense
ip route add 172.26.0.0/16 dev v scope nonsense
ip route add 172.26.0.0/16 dev v scope universe
ip route show
ip route show proto nonsense
ip route show scope nonsense
ip route show type bogus
ip route show proto all
ip route show scope all type unicast
ip route flush proto nonsense
ip route flush scope nonsense
ip route flush type bogus
ip route show
ip route flush proto babel
ip route flush proto 0xfa
ip route show
