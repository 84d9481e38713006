# net.ipv4.ip_forward keeps the number written (2 reads back as 2) and copies it to every link.
# rp_filter stores 3 as well, although only 0 to 2 have a meaning.
ip link add v1 type veth peer name w1
sysctl -w net.ipv4.ip_forward=2
sysctl net.ipv4.ip_forward
echo 2 > /proc/sys/net/ipv4/ip_forward
echo $?
cat /proc/sys/net/ipv4/ip_forward
echo 3 > /proc/sys/net/ipv4/conf/all/rp_filter
cat /proc/sys/net/ipv4/conf/all/rp_filter
sysctl -w net.ipv4.conf.all.rp_filter=3
sysctl net.ipv4.conf.v1.forwarding net.ipv4.conf.default.forwarding
sysctl -w net.ipv4.ip_forward=0
sysctl net.ipv4.conf.v1.forwarding
