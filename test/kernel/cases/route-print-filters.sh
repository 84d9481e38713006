# Fields that ip route show and ip route get leave out or reformat. A proto or scope filter
# drops that field from each line. ip route get prints no source of 0.0.0.0, and it prints
# marks from 16 up in hex.
ip link add v type veth peer name w
ip link set v up
ip link set w up
ip route add 10.9.0.0/16 dev v
ip route get 10.9.0.1
ip route get 10.9.0.1 oif v
ip addr add 10.0.0.1/24 dev v
ip route add 172.16.0.0/12 dev v proto 42
ip route add 172.17.0.0/16 via 10.0.0.2 proto static metric 5
ip route add 172.18.0.0/16 dev v proto static scope host
ip route show
ip route show proto babel
ip route show proto static
ip route show proto kernel
ip route show proto 99
ip route show scope link
ip route show scope global
ip route show scope host table local
ip route show proto static scope global
ip route show proto all scope all
ip route show table all proto kernel scope host
ip route show type local table local proto kernel
ip route add default via 10.0.0.2
ip route get 192.0.2.1 mark 7
ip route get 192.0.2.1 mark 15
ip route get 192.0.2.1 mark 16
ip route get 192.0.2.1 mark 0x106
