package verticles;
public class Main { public static void main(String[] a) {} }
